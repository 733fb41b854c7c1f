package dev.eventbus.autoconfigure;

import java.util.List;

import dev.eventbus.api.EventBusException;

/**
 * Thrown at start-up when {@code eventbus.adapter} names no known adapter.
 */
public class UnknownEventBusAdapterException extends EventBusException {

	private final String adapter;

	private final List<String> validAdapters;

	/**
	 * Create an exception.
	 * @param adapter the value of {@code eventbus.adapter}
	 * @param validAdapters the adapter names that are accepted
	 */
	public UnknownEventBusAdapterException(String adapter, List<String> validAdapters) {
		super("Unknown event bus adapter '" + adapter + "' in eventbus.adapter; valid adapters are "
				+ String.join(", ", validAdapters));
		this.adapter = adapter;
		this.validAdapters = List.copyOf(validAdapters);
	}

	public String getAdapter() {
		return this.adapter;
	}

	public List<String> getValidAdapters() {
		return this.validAdapters;
	}

}
