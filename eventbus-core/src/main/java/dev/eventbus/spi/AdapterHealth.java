package dev.eventbus.spi;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Connectivity of an adapter.
 *
 * @param up whether the broker is reachable
 * @param details what was checked, for the health endpoint (never secrets)
 */
public record AdapterHealth(boolean up, Map<String, Object> details) {

	public AdapterHealth {
		details = Map.copyOf(details);
	}

	/**
	 * A healthy adapter.
	 * @param details what was checked
	 * @return the health
	 */
	public static AdapterHealth up(Map<String, Object> details) {
		return new AdapterHealth(true, details);
	}

	/**
	 * An unreachable broker.
	 * @param error what failed
	 * @param details what was checked
	 * @return the health
	 */
	public static AdapterHealth down(String error, Map<String, Object> details) {
		Map<String, Object> all = new LinkedHashMap<>(details);
		all.put("error", error);
		return new AdapterHealth(false, all);
	}

}
