package dev.eventbus.api;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class EventMessageTests {

	@Test
	void headersAreCloudEventsExtensionsWithLowercaseAlphanumericNames() {
		EventMessage<String> message = EventMessage.of("order.created", "o-1")
			.header("channel", "web")
			.header("region2", "eu")
			.build();
		assertThat(message.headers()).containsOnly(Map.entry("channel", "web"), Map.entry("region2", "eu"));
	}

	@Test
	void aHeaderNameThatIsNoExtensionNameIsRejectedNamingTheRuleAndAFix() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EventMessage.of("order.created", "o-1").header("X-Channel", "web"))
			.withMessage("Header 'X-Channel' is not a valid CloudEvents extension name: extension names are "
					+ "lowercase letters a-z and digits 0-9 only, for example 'xchannel'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EventMessage.of("order.created", "o-1").header("app.region", "eu"))
			.withMessageContaining("for example 'appregion'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EventMessage.of("order.created", "o-1").headers(Map.of("my_ext", "1")))
			.withMessageContaining("'my_ext' is not a valid CloudEvents extension name");
	}

	@Test
	void aHeaderNamedLikeAContextAttributeIsRejected() {
		for (String attribute : new String[] { "id", "time", "specversion", "datacontenttype", "dataschema", "source",
				"correlationid" }) {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> EventMessage.of("order.created", "o-1").header(attribute, "x"))
				.withMessageStartingWith("Header '" + attribute + "' is a CloudEvents context attribute");
		}
	}

}
