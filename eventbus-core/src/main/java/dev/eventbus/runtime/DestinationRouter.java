package dev.eventbus.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.eventbus.codec.TypePattern;

/**
 * Resolves the destination of an event type: the first route whose type pattern matches,
 * else the default destination. Immutable and thread safe; resolutions are cached.
 */
public final class DestinationRouter {

	private final List<Route> routes;

	private final String defaultDestination;

	private final Map<String, String> cache = new ConcurrentHashMap<>();

	/**
	 * Create a router.
	 * @param routes type pattern to destination, in priority order
	 * @param defaultDestination destination of types no route matches
	 */
	public DestinationRouter(Map<String, String> routes, String defaultDestination) {
		Objects.requireNonNull(defaultDestination, "defaultDestination");
		if (defaultDestination.isBlank()) {
			throw new IllegalArgumentException("default destination must not be empty");
		}
		List<Route> parsed = new ArrayList<>();
		new LinkedHashMap<>(routes).forEach((pattern, destination) -> {
			if (destination == null || destination.isBlank()) {
				throw new IllegalArgumentException("route '" + pattern + "' has an empty destination");
			}
			parsed.add(new Route(TypePattern.of(pattern), destination));
		});
		this.routes = List.copyOf(parsed);
		this.defaultDestination = defaultDestination;
	}

	/**
	 * Destination of a type.
	 * @param type the event type
	 * @return the destination
	 */
	public String route(String type) {
		String destination = this.cache.get(type);
		if (destination == null) {
			destination = resolve(type);
			if (this.cache.size() < 10_000) {
				this.cache.put(type, destination);
			}
		}
		return destination;
	}

	private String resolve(String type) {
		for (Route route : this.routes) {
			if (route.pattern().matches(type)) {
				return route.destination();
			}
		}
		return this.defaultDestination;
	}

	/**
	 * Every destination that events matching any of the patterns can be routed to. For a
	 * literal pattern that is exactly its route; a wildcard pattern may reach every route
	 * it overlaps, up to a route with the very same pattern (which takes all that is
	 * left), else also the default destination.
	 * @param patterns the handler's type patterns
	 * @return the destinations, in route order
	 */
	public Set<String> destinationsFor(Collection<TypePattern> patterns) {
		Set<String> destinations = new LinkedHashSet<>();
		for (TypePattern pattern : patterns) {
			if (pattern.isLiteral()) {
				destinations.add(route(pattern.toString()));
				continue;
			}
			boolean covered = false;
			for (Route route : this.routes) {
				if (pattern.mayOverlap(route.pattern())) {
					destinations.add(route.destination());
				}
				if (route.pattern().equals(pattern)) {
					covered = true;
					break;
				}
			}
			if (!covered) {
				destinations.add(this.defaultDestination);
			}
		}
		return destinations;
	}

	public String defaultDestination() {
		return this.defaultDestination;
	}

	/**
	 * The routes, for the actuator endpoint.
	 * @return pattern to destination, in order
	 */
	public Map<String, String> routes() {
		Map<String, String> result = new LinkedHashMap<>();
		this.routes.forEach((route) -> result.put(route.pattern().toString(), route.destination()));
		return result;
	}

	private record Route(TypePattern pattern, String destination) {
	}

}
