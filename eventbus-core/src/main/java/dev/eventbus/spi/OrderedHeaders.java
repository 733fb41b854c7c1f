package dev.eventbus.spi;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

/**
 * Transport headers in the order they were added, as an unmodifiable map backed by two arrays: a
 * codec builds one per message without hashing or entry objects, and an adapter copies them onto
 * the wire with {@link #forEach}, which allocates nothing. Lookups scan, which is faster than
 * hashing for the few headers a message has. {@link EncodedMessage} keeps it without copying.
 * Immutable and thread safe once built.
 */
public final class OrderedHeaders extends AbstractMap<String, String> {

	private final String[] names;

	private final String[] values;

	private final int size;

	private OrderedHeaders(String[] names, String[] values, int size) {
		this.names = names;
		this.values = values;
		this.size = size;
	}

	/**
	 * Start building headers.
	 * @param expected how many headers there will probably be
	 * @return the builder
	 */
	public static Builder builder(int expected) {
		return new Builder(expected);
	}

	@Override
	public int size() {
		return this.size;
	}

	@Override
	public @Nullable String get(Object key) {
		int index = indexOf(key);
		return (index >= 0) ? this.values[index] : null;
	}

	@Override
	public boolean containsKey(Object key) {
		return indexOf(key) >= 0;
	}

	@Override
	public void forEach(BiConsumer<? super String, ? super String> action) {
		for (int i = 0; i < this.size; i++) {
			action.accept(this.names[i], this.values[i]);
		}
	}

	@Override
	public Set<Entry<String, String>> entrySet() {
		return new Entries();
	}

	private int indexOf(@Nullable Object key) {
		for (int i = 0; i < this.size; i++) {
			if (this.names[i].equals(key)) {
				return i;
			}
		}
		return -1;
	}

	/**
	 * The headers, in order.
	 */
	private final class Entries extends AbstractSet<Entry<String, String>> {

		@Override
		public Iterator<Entry<String, String>> iterator() {
			return new Iterator<>() {

				private int next;

				@Override
				public boolean hasNext() {
					return this.next < OrderedHeaders.this.size;
				}

				@Override
				public Entry<String, String> next() {
					if (!hasNext()) {
						throw new NoSuchElementException();
					}
					int index = this.next++;
					return Map.entry(OrderedHeaders.this.names[index], OrderedHeaders.this.values[index]);
				}

			};
		}

		@Override
		public int size() {
			return OrderedHeaders.this.size;
		}

	}

	/**
	 * Builds {@link OrderedHeaders}. Not thread safe.
	 */
	public static final class Builder {

		private String[] names;

		private String[] values;

		private int size;

		private Builder(int expected) {
			this.names = new String[Math.max(1, expected)];
			this.values = new String[this.names.length];
		}

		/**
		 * Add a header.
		 * @param name its name, not added before
		 * @param value its value
		 * @return this
		 * @throws IllegalArgumentException if a header of that name was added already
		 */
		public Builder add(String name, String value) {
			Objects.requireNonNull(name, "name");
			Objects.requireNonNull(value, "value");
			for (int i = 0; i < this.size; i++) {
				if (this.names[i].equals(name)) {
					throw new IllegalArgumentException("Header '" + name + "' added twice");
				}
			}
			if (this.size == this.names.length) {
				this.names = Arrays.copyOf(this.names, this.size * 2);
				this.values = Arrays.copyOf(this.values, this.size * 2);
			}
			this.names[this.size] = name;
			this.values[this.size] = value;
			this.size++;
			return this;
		}

		/**
		 * The headers added so far; the builder must not be used afterwards.
		 * @return the headers
		 */
		public OrderedHeaders build() {
			return new OrderedHeaders(this.names, this.values, this.size);
		}

	}

}
