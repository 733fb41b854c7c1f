package dev.eventbus.web;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventHandler;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An application with the ingestion endpoint: a partner who may publish, a user who may
 * not, handlers that record what they get, and a page of its own that stays behind Spring
 * Boot's default security.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(IngestionTestApplication.Hello.class)
class IngestionTestApplication {

	static final String PARTNER = "partner";

	static final String VIEWER = "viewer";

	static final String PASSWORD = "secret";

	@Bean
	UserDetailsService users() {
		return new InMemoryUserDetailsManager(
				User.withUsername(PARTNER).password("{noop}" + PASSWORD).authorities("eventbus.publish").build(),
				User.withUsername(VIEWER).password("{noop}" + PASSWORD).authorities("orders.read").build());
	}

	@Bean
	Received received() {
		return new Received();
	}

	/** What the handlers got. */
	static class Received {

		final List<Event<JsonNode>> orders = new CopyOnWriteArrayList<>();

		final List<Event<String>> notes = new CopyOnWriteArrayList<>();

		volatile CountDownLatch gate = new CountDownLatch(0);

		@EventHandler(types = "order.*")
		void order(Event<JsonNode> event) throws InterruptedException {
			this.gate.await(30, TimeUnit.SECONDS);
			this.orders.add(event);
		}

		@EventHandler(types = "note.*")
		void note(Event<String> event) {
			this.notes.add(event);
		}

		void clear() {
			this.orders.clear();
			this.notes.clear();
		}

	}

	@RestController
	static class Hello {

		@GetMapping("/hello")
		String hello() {
			return "hello";
		}

	}

}
