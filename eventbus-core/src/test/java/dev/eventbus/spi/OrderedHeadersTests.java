package dev.eventbus.spi;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link OrderedHeaders}.
 */
class OrderedHeadersTests {

	@Test
	void keepsOrderAndEqualsAnyMapOfTheSameHeaders() {
		OrderedHeaders headers = OrderedHeaders.builder(1).add("ce_id", "1").add("ce_type", "t").add("a", "b").build();
		Map<String, String> copy = new LinkedHashMap<>();
		copy.put("ce_id", "1");
		copy.put("ce_type", "t");
		copy.put("a", "b");
		assertThat(headers).containsExactly(Map.entry("ce_id", "1"), Map.entry("ce_type", "t"), Map.entry("a", "b"))
			.isEqualTo(copy)
			.hasSameHashCodeAs(copy)
			.isEqualTo(Map.copyOf(copy));
		assertThat(headers.get("ce_type")).isEqualTo("t");
		assertThat(headers.get("missing")).isNull();
		assertThat(headers.containsKey("a")).isTrue();
		Map<String, String> visited = new LinkedHashMap<>();
		headers.forEach(visited::put);
		assertThat(visited).containsExactlyEntriesOf(copy);
	}

	@Test
	void rejectsAHeaderAddedTwice() {
		OrderedHeaders.Builder builder = OrderedHeaders.builder(4).add("ce_id", "1");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.add("ce_id", "2"))
			.withMessageContaining("ce_id");
	}

	@Test
	void isUnmodifiableAndKeptAsItIsByEncodedMessage() {
		OrderedHeaders headers = OrderedHeaders.builder(2).add("ce_id", "1").build();
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> headers.put("ce_id", "2"));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> headers.remove("ce_id"));
		assertThat(new EncodedMessage(headers, new byte[0]).headers()).isSameAs(headers);
	}

}
