package dev.eventbus.kafka;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

import dev.eventbus.codec.JsonEventCodec;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * The headers of a record as an unmodifiable map of UTF-8 text, read in place: a value is
 * decoded when it is read, so a delivery's headers are not copied into a map first, and
 * values nobody reads (such as {@code content-type}) are never decoded. Of a header
 * repeated, the last value counts. A record timestamp, when given, is one more entry
 * after the record's headers, {@link JsonEventCodec#BROKER_TIME}, unless the record has
 * that header itself. Thread safe as long as the record's headers are not modified.
 */
final class RecordHeaderMap extends AbstractMap<String, String> {

	private final Header[] headers;

	/** The record timestamp in epoch milliseconds, or {@code null} when not an entry. */
	private final @Nullable String brokerTime;

	RecordHeaderMap(Headers headers) {
		this(headers, -1);
	}

	/**
	 * The headers of a record and its timestamp.
	 * @param headers the record's headers
	 * @param timestamp the record's timestamp, negative when it has none
	 */
	RecordHeaderMap(Headers headers, long timestamp) {
		this.headers = headers.toArray();
		this.brokerTime = (timestamp >= 0 && lastIndexOf(JsonEventCodec.BROKER_TIME) < 0) ? Long.toString(timestamp)
				: null;
	}

	@Override
	public @Nullable String get(Object key) {
		int index = lastIndexOf(key);
		if (index < 0) {
			return (this.brokerTime != null && JsonEventCodec.BROKER_TIME.equals(key)) ? this.brokerTime : null;
		}
		return value(index);
	}

	@Override
	public boolean containsKey(Object key) {
		return lastIndexOf(key) >= 0 || (this.brokerTime != null && JsonEventCodec.BROKER_TIME.equals(key));
	}

	@Override
	public Set<Entry<String, String>> entrySet() {
		return new Entries();
	}

	private int lastIndexOf(Object key) {
		for (int i = this.headers.length - 1; i >= 0; i--) {
			if (this.headers[i].key().equals(key)) {
				return i;
			}
		}
		return -1;
	}

	/**
	 * Whether a later header has the same name, so this one does not count.
	 */
	private boolean shadowed(int index) {
		String key = this.headers[index].key();
		for (int i = index + 1; i < this.headers.length; i++) {
			if (this.headers[i].key().equals(key)) {
				return true;
			}
		}
		return false;
	}

	private String value(int index) {
		byte[] value = this.headers[index].value();
		return (value != null) ? new String(value, StandardCharsets.UTF_8) : "";
	}

	/**
	 * The headers that count, in record order, each value decoded when read.
	 */
	private final class Entries extends AbstractSet<Entry<String, String>> {

		@Override
		public Iterator<Entry<String, String>> iterator() {
			return new Iterator<>() {

				private int next = advance(0);

				@Override
				public boolean hasNext() {
					return this.next < RecordHeaderMap.this.headers.length
							|| (this.next == RecordHeaderMap.this.headers.length
									&& RecordHeaderMap.this.brokerTime != null);
				}

				@Override
				public Entry<String, String> next() {
					if (!hasNext()) {
						throw new NoSuchElementException();
					}
					int index = this.next;
					if (index == RecordHeaderMap.this.headers.length) {
						this.next++;
						return Map.entry(JsonEventCodec.BROKER_TIME, RecordHeaderMap.this.brokerTime);
					}
					this.next = advance(index + 1);
					return new HeaderEntry(index);
				}

			};
		}

		private int advance(int from) {
			int index = from;
			while (index < RecordHeaderMap.this.headers.length && shadowed(index)) {
				index++;
			}
			return index;
		}

		@Override
		public int size() {
			int size = (RecordHeaderMap.this.brokerTime != null) ? 1 : 0;
			for (int i = 0; i < RecordHeaderMap.this.headers.length; i++) {
				if (!shadowed(i)) {
					size++;
				}
			}
			return size;
		}

	}

	/**
	 * One header, its value decoded when read.
	 */
	private final class HeaderEntry implements Entry<String, String> {

		private final int index;

		HeaderEntry(int index) {
			this.index = index;
		}

		@Override
		public String getKey() {
			return RecordHeaderMap.this.headers[this.index].key();
		}

		@Override
		public String getValue() {
			return value(this.index);
		}

		@Override
		public String setValue(String value) {
			throw new UnsupportedOperationException();
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Map.Entry<?, ?> entry && getKey().equals(entry.getKey())
					&& getValue().equals(entry.getValue());
		}

		@Override
		public int hashCode() {
			return getKey().hashCode() ^ getValue().hashCode();
		}

		@Override
		public String toString() {
			return getKey() + "=" + getValue();
		}

	}

}
