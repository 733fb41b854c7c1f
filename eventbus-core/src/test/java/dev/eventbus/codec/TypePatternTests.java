package dev.eventbus.codec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TypePatternTests {

	@Test
	void trailingWildcardMatchesEveryDeeperType() {
		TypePattern pattern = TypePattern.of("photo.*");
		assertThat(pattern.matches("photo.uploaded")).isTrue();
		assertThat(pattern.matches("photo.processing.completed")).isTrue();
		assertThat(pattern.matches("photo")).isFalse();
		assertThat(pattern.matches("user.created")).isFalse();
		assertThat(pattern.matches("photos.uploaded")).isFalse();
	}

	@Test
	void innerWildcardsMatchAroundALiteralSegment() {
		TypePattern pattern = TypePattern.of("*.processing.*");
		assertThat(pattern.matches("photo.processing.started")).isTrue();
		assertThat(pattern.matches("video.processing.step.done")).isTrue();
		assertThat(pattern.matches("photo.processed.started")).isFalse();
		assertThat(pattern.matches("processing.started")).isFalse();
	}

	@Test
	void literalMatchesOnlyItselfAndRegexCharactersAreLiteral() {
		TypePattern pattern = TypePattern.of("order.created");
		assertThat(pattern.isLiteral()).isTrue();
		assertThat(pattern.matches("order.created")).isTrue();
		assertThat(pattern.matches("orderXcreated")).isFalse();
		assertThat(TypePattern.of("a+b.*").matches("a+b.c")).isTrue();
		assertThat(TypePattern.of("a+b.*").matches("aab.c")).isFalse();
	}

	@Test
	void starAloneMatchesEveryType() {
		assertThat(TypePattern.of("*").matches("anything.at.all")).isTrue();
	}

	@Test
	void overlapIsExactForLiteralsAndAssumedForWildcards() {
		assertThat(TypePattern.of("photo.uploaded").mayOverlap(TypePattern.of("photo.*"))).isTrue();
		assertThat(TypePattern.of("user.created").mayOverlap(TypePattern.of("photo.*"))).isFalse();
		assertThat(TypePattern.of("photo.*").mayOverlap(TypePattern.of("photo.uploaded"))).isTrue();
		assertThat(TypePattern.of("photo.*").mayOverlap(TypePattern.of("*.created"))).isTrue();
	}

	@Test
	void rejectsEmptyPattern() {
		assertThatIllegalArgumentException().isThrownBy(() -> TypePattern.of(" "))
			.withMessageContaining("must not be empty");
	}

}
