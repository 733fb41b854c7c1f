package dev.eventbus.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import dev.eventbus.api.Event;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.unit.DataSize;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The ingestion endpoint: reads the events of a {@code POST} (see
 * {@link HttpCloudEvents}), publishes them (see {@link EventIngestion}) and answers
 * {@code 202 Accepted} with one entry per event, or with an RFC 9457 problem: 400 for an
 * invalid event, 403 for a type or source the caller may not publish, 413 over the size
 * limit, 415 for another media type, 503 with {@code Retry-After} while the bus does not
 * accept events. Plain JSON without an id takes the request's {@code Idempotency-Key}
 * header, else a random id. Thread safe.
 */
public final class EventIngestionHandler implements HandlerFunction<ServerResponse> {

	/** Header whose value is the id of plain JSON without one. */
	public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	private final HttpCloudEvents reader;

	private final EventIngestion ingestion;

	private final IngestionPolicy policy;

	private final DataSize maxBodySize;

	private final Duration retryAfter;

	/**
	 * Create the endpoint.
	 * @param reader reads the events of a request
	 * @param ingestion publishes them
	 * @param policy what callers may publish, and the source of plain JSON without one
	 * @param maxBodySize the largest body taken
	 * @param retryAfter what a 503 asks the caller to wait
	 */
	public EventIngestionHandler(HttpCloudEvents reader, EventIngestion ingestion, IngestionPolicy policy,
			DataSize maxBodySize, Duration retryAfter) {
		this.reader = reader;
		this.ingestion = ingestion;
		this.policy = policy;
		this.maxBodySize = maxBodySize;
		this.retryAfter = retryAfter;
	}

	@Override
	public ServerResponse handle(ServerRequest request) throws IOException {
		try {
			byte[] body = body(request.servletRequest());
			String principal = request.principal().map(Principal::getName).orElse(null);
			HttpHeaders headers = request.headers().asHttpHeaders();
			List<Event<?>> events = this.reader.read(headers, body, this.policy.defaultSource(principal),
					plainId(headers.getFirst(IDEMPOTENCY_KEY)));
			List<EventIngestion.Accepted> accepted = this.ingestion.ingest(events, principal);
			return ServerResponse.accepted().contentType(MediaType.APPLICATION_JSON).body(Map.of("accepted", accepted));
		}
		catch (IngestionProblem problem) {
			return problem(problem, request);
		}
	}

	private ServerResponse problem(IngestionProblem problem, ServerRequest request) {
		var detail = problem.toProblemDetail();
		detail.setInstance(URI.create(request.path()));
		ServerResponse.BodyBuilder response = ServerResponse.status(problem.status())
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		if (problem.status() == HttpStatus.SERVICE_UNAVAILABLE) {
			response.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, this.retryAfter.toSeconds())));
		}
		return response.body(detail);
	}

	private byte[] body(HttpServletRequest request) throws IOException {
		long limit = this.maxBodySize.toBytes();
		if (request.getContentLengthLong() > limit) {
			throw tooLarge(limit);
		}
		try (InputStream in = request.getInputStream()) {
			byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
			if (body.length > limit) {
				throw tooLarge(limit);
			}
			return body;
		}
	}

	private static IngestionProblem tooLarge(long limit) {
		return new IngestionProblem(HttpStatus.CONTENT_TOO_LARGE, "Request too large",
				"The body is larger than eventbus.web.ingestion.max-body-size (" + limit + " bytes)");
	}

	private static Supplier<String> plainId(@Nullable String idempotencyKey) {
		return (idempotencyKey != null && !idempotencyKey.isBlank()) ? () -> idempotencyKey
				: () -> UUID.randomUUID().toString();
	}

}
