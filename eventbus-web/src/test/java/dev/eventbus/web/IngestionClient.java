package dev.eventbus.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Posts to the ingestion endpoint of a running application, as a system outside the bus
 * would.
 */
final class IngestionClient {

	static final String PATH = "/eventbus/events";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newHttpClient();

	private final String base;

	IngestionClient(int port) {
		this.base = "http://localhost:" + port;
	}

	String url(String path) {
		return this.base + path;
	}

	Answer post(@Nullable String user, @Nullable String contentType, Map<String, String> headers, String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(PATH)))
			.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		if (user != null) {
			request.header("Authorization", basic(user));
		}
		headers.forEach(request::header);
		return send(request.build());
	}

	Answer get(String path, @Nullable String user) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).GET();
		if (user != null) {
			request.header("Authorization", basic(user));
		}
		return send(request.build());
	}

	private Answer send(HttpRequest request) {
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
					response.headers().map(), response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static String basic(String user) {
		return "Basic " + Base64.getEncoder()
			.encodeToString((user + ":" + IngestionTestApplication.PASSWORD).getBytes(StandardCharsets.UTF_8));
	}

	/** An answer of the endpoint. */
	record Answer(int status, String contentType, Map<String, java.util.List<String>> headers, String body) {

		JsonNode json() {
			return JSON.readTree(this.body);
		}

		@Nullable String header(String name) {
			return this.headers.entrySet()
				.stream()
				.filter((entry) -> entry.getKey().equalsIgnoreCase(name))
				.map((entry) -> entry.getValue().get(0))
				.findFirst()
				.orElse(null);
		}

	}

}
