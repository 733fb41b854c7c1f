package dev.eventbus.autoconfigure;

import java.util.List;

import dev.eventbus.api.EventBusException;

/**
 * Thrown at start-up when the adapter chosen with {@code eventbus.adapter} cannot run
 * because classes it needs are not on the classpath.
 */
public class EventBusAdapterMissingException extends EventBusException {

	private final String adapter;

	private final List<String> missingClasses;

	private final List<String> coordinates;

	/**
	 * Create an exception.
	 * @param adapter the adapter name
	 * @param missingClasses the classes that could not be loaded
	 * @param coordinates {@code groupId:artifactId} of the artifacts holding them,
	 * adapter module first
	 */
	public EventBusAdapterMissingException(String adapter, List<String> missingClasses, List<String> coordinates) {
		super("The '" + adapter + "' event bus adapter (eventbus.adapter=" + adapter
				+ ") needs classes that are not on the classpath: " + String.join(", ", missingClasses) + " (from "
				+ String.join(", ", coordinates) + ")");
		this.adapter = adapter;
		this.missingClasses = List.copyOf(missingClasses);
		this.coordinates = List.copyOf(coordinates);
	}

	public String getAdapter() {
		return this.adapter;
	}

	public List<String> getMissingClasses() {
		return this.missingClasses;
	}

	/**
	 * Maven coordinates of the artifacts to add, the adapter module first.
	 * @return the {@code groupId:artifactId} coordinates
	 */
	public List<String> getCoordinates() {
		return this.coordinates;
	}

}
