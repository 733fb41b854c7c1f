package dev.eventbus.web.realtime;

import java.net.URI;
import java.security.Principal;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Server-sent events for clients that only read: {@code GET <path>?room=a&room=b} streams
 * the pushes of the rooms named, of the user, and broadcasts; each is a structured
 * CloudEvent with its id as the SSE id and its type as the SSE event name. A client that
 * reconnects with {@code Last-Event-ID} first gets the pushes it missed that this
 * instance still has. 401 without an authenticated user, 403 for a room it may not join.
 */
public final class SseEndpoint implements HandlerFunction<ServerResponse> {

	private final RealtimeClients clients;

	private final RoomAuthorizer authorizer;

	private final Duration timeout;

	public SseEndpoint(RealtimeClients clients, RoomAuthorizer authorizer, Duration timeout) {
		this.clients = clients;
		this.authorizer = authorizer;
		this.timeout = timeout;
	}

	@Override
	public ServerResponse handle(ServerRequest request) {
		Principal user = request.principal().orElse(null);
		if (user == null) {
			return problem(request, HttpStatus.UNAUTHORIZED, "Server-sent events are for authenticated users only");
		}
		Set<String> rooms = new LinkedHashSet<>(request.params().getOrDefault("room", List.of()));
		for (String room : rooms) {
			if (!this.authorizer.mayJoin(user, room)) {
				return problem(request, HttpStatus.FORBIDDEN,
						"User '" + user.getName() + "' may not join room '" + room + "'");
			}
		}
		String lastEventId = request.headers().firstHeader("Last-Event-ID");
		return ServerResponse.sse((sse) -> this.clients.connect(user, rooms, lastEventId, sse), this.timeout);
	}

	private static ServerResponse problem(ServerRequest request, HttpStatus status, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setInstance(URI.create(request.path()));
		ServerResponse.BodyBuilder response = ServerResponse.status(status)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		if (status == HttpStatus.UNAUTHORIZED) {
			response.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"eventbus\"");
		}
		return response.body(problem);
	}

}
