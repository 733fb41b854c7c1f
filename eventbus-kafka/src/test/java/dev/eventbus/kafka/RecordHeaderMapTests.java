package dev.eventbus.kafka;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link RecordHeaderMap}: a record's headers read in place as the same map a
 * copy would give.
 */
class RecordHeaderMapTests {

	@Test
	void readsHeadersAsUtf8Text() {
		RecordHeaders headers = new RecordHeaders();
		headers.add("ce_id", utf8("id-1"));
		headers.add("ce_subject", utf8("caf\u00e9"));
		headers.add("empty", null);
		RecordHeaderMap map = new RecordHeaderMap(headers);
		assertThat(map).containsExactly(Map.entry("ce_id", "id-1"), Map.entry("ce_subject", "caf\u00e9"),
				Map.entry("empty", ""));
		assertThat(map.get("ce_subject")).isEqualTo("caf\u00e9");
		assertThat(map.get("missing")).isNull();
		assertThat(map.containsKey("empty")).isTrue();
		assertThat(map.containsKey("missing")).isFalse();
	}

	@Test
	void repeatedHeaderCountsOnceWithItsLastValue() {
		RecordHeaders headers = new RecordHeaders();
		headers.add("ce_type", utf8("first"));
		headers.add("ce_id", utf8("id-1"));
		headers.add("ce_type", utf8("last"));
		RecordHeaderMap map = new RecordHeaderMap(headers);
		Map<String, String> copy = new LinkedHashMap<>();
		copy.put("ce_type", "last");
		copy.put("ce_id", "id-1");
		assertThat(map).hasSize(2).isEqualTo(copy).hasSameHashCodeAs(copy);
		assertThat(map.get("ce_type")).isEqualTo("last");
		assertThat(map.keySet()).containsExactly("ce_id", "ce_type");
	}

	@Test
	void isUnmodifiable() {
		RecordHeaders headers = new RecordHeaders();
		headers.add("ce_id", utf8("id-1"));
		RecordHeaderMap map = new RecordHeaderMap(headers);
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> map.put("ce_id", "other"));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> map.entrySet().iterator().next().setValue("other"));
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
