package dev.eventbus.rabbitmq;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BindingKeysTests {

	@Test
	void literalTypesBindAsThemselvesAndUntypedMessagesToo() {
		assertThat(BindingKeys.of(List.of("order.created", "user.deleted"))).containsExactly("order.created",
				"user.deleted", "");
	}

	@Test
	void aWordThatIsAWildcardMatchesOneOrMoreWordsAndSoBindsAsHash() {
		assertThat(BindingKeys.of("photo.*")).isEqualTo("photo.#");
		assertThat(BindingKeys.of("*.processing.*")).isEqualTo("#.processing.#");
		assertThat(BindingKeys.of("*")).isEqualTo("#");
	}

	@Test
	void aWildcardInsideAWordCannotBeExpressedAndBindsEveryType() {
		assertThat(BindingKeys.of("photo*")).isEqualTo("#");
		assertThat(BindingKeys.of("order.*ed")).isEqualTo("#");
	}

	@Test
	void noPatternsOrAPatternTooLongForABindingKeyBindEveryType() {
		assertThat(BindingKeys.of(List.of())).containsExactly("#");
		assertThat(BindingKeys.of("a".repeat(256))).isEqualTo("#");
		assertThat(BindingKeys.of(List.of("order.created", "photo*"))).containsExactly("order.created", "#");
	}

}
