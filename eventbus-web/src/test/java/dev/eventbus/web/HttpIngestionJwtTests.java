package dev.eventbus.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.eventbus.web.IngestionClient.Answer;
import dev.eventbus.web.IngestionTestApplication.Received;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import static dev.eventbus.web.HttpIngestionTests.assertProblem;
import static dev.eventbus.web.HttpIngestionTests.structured;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ingestion endpoint of an application that is an OAuth2 resource server: callers
 * present a JWT bearer token, and its scope is the authority they need.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=ingestion-jwt-test", "eventbus.web.ingestion.enabled=true",
				"eventbus.web.ingestion.allowed-types=order.*",
				"eventbus.web.ingestion.security.authority=SCOPE_events.publish" })
class HttpIngestionJwtTests {

	private static final byte[] KEY = "a key of the test, thirty-two bytes or more".getBytes(StandardCharsets.UTF_8);

	@LocalServerPort
	int port;

	@Autowired
	Received received;

	@Test
	void aTokenWithTheScopePublishesAndOneWithoutIsRefused() throws JOSEException {
		IngestionClient client = new IngestionClient(this.port);
		Answer accepted = client.post(null, "application/cloudevents+json",
				Map.of("Authorization", "Bearer " + token("events.publish")),
				structured("jwt-1", "order.imported", "{}"));
		assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.received.orders.stream().anyMatch((event) -> event.id().equals("jwt-1")));
		assertProblem(client.post(null, "application/cloudevents+json",
				Map.of("Authorization", "Bearer " + token("orders.read")), structured("jwt-2", "order.imported", "{}")),
				403, "'SCOPE_events.publish'");
		assertProblem(client.post(null, "application/cloudevents+json", Map.of("Authorization", "Bearer forged"),
				structured("jwt-3", "order.imported", "{}")), 401, "authenticated callers only");
	}

	private static String token(String scope) throws JOSEException {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("partner-app")
			.claim("scope", scope)
			.expirationTime(Date.from(Instant.now().plusSeconds(60)))
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
		jwt.sign(new MACSigner(KEY));
		return jwt.serialize();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class ResourceServer {

		@Bean
		JwtDecoder jwtDecoder() {
			return NimbusJwtDecoder.withSecretKey(new SecretKeySpec(KEY, "HmacSHA256")).build();
		}

	}

}
