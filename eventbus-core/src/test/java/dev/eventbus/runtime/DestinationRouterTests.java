package dev.eventbus.runtime;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.eventbus.codec.TypePattern;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DestinationRouterTests {

	private final DestinationRouter router = new DestinationRouter(routes(), "events");

	private static Map<String, String> routes() {
		Map<String, String> routes = new LinkedHashMap<>();
		routes.put("photo.processing.*", "processing");
		routes.put("photo.*", "photos");
		return routes;
	}

	@Test
	void firstMatchingRouteWins() {
		assertThat(this.router.route("photo.processing.started")).isEqualTo("processing");
		assertThat(this.router.route("photo.uploaded")).isEqualTo("photos");
	}

	@Test
	void unmatchedTypesGoToDefaultDestination() {
		assertThat(this.router.route("order.created")).isEqualTo("events");
	}

	@Test
	void literalPatternSubscribesToItsRouteOnly() {
		assertThat(this.router.destinationsFor(List.of(TypePattern.of("photo.uploaded")))).containsExactly("photos");
	}

	@Test
	void wildcardPatternSubscribesToEveryRouteItMayReachAndTheDefault() {
		assertThat(this.router.destinationsFor(List.of(TypePattern.of("*.processing.*")))).containsExactly("processing",
				"photos", "events");
		assertThat(this.router.destinationsFor(List.of(TypePattern.of("order.*")))).containsExactly("processing",
				"photos", "events");
	}

	@Test
	void wildcardEqualToARoutePatternDoesNotSubscribeTheDefault() {
		assertThat(this.router.destinationsFor(List.of(TypePattern.of("photo.*")))).containsExactly("processing",
				"photos");
	}

	@Test
	void rejectsRouteWithoutDestination() {
		assertThatIllegalArgumentException().isThrownBy(() -> new DestinationRouter(Map.of("a.*", " "), "events"))
			.withMessageContaining("'a.*' has an empty destination");
	}

}
