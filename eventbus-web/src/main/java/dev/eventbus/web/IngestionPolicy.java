package dev.eventbus.web;

import java.util.List;

import dev.eventbus.api.Event;
import dev.eventbus.codec.TypePattern;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;

/**
 * What a caller of the ingestion endpoint may publish: event types from an allow-list,
 * and sources that do not pass for an application on the bus. Immutable and thread safe.
 * <p>
 * Sources: with {@code allowedSources} empty, any source but the application's own and
 * the {@code urn:eventbus:*} sources of applications on the bus; otherwise only sources
 * that match one of them. A pattern may hold {@value #PRINCIPAL}, the caller's name, so
 * that each caller has a source of its own ({@code urn:partner:{principal}}).
 */
public final class IngestionPolicy {

	/** Placeholder of the caller's name in a source pattern. */
	public static final String PRINCIPAL = "{principal}";

	/** Sources of applications on the bus, refused unless allowed by name. */
	static final TypePattern BUS_SOURCES = TypePattern.of("urn:eventbus:*");

	private static final String ANONYMOUS = "anonymous";

	private final List<TypePattern> allowedTypes;

	private final List<String> allowedSources;

	private final String ownSource;

	private final String defaultSource;

	/**
	 * Create a policy.
	 * @param allowedTypes patterns of the types callers may publish, at least one
	 * @param allowedSources source patterns callers may use, or empty for any source but
	 * the bus's
	 * @param ownSource the application's source
	 * @param defaultSource source of plain JSON without one, may hold {@value #PRINCIPAL}
	 */
	public IngestionPolicy(List<String> allowedTypes, List<String> allowedSources, String ownSource,
			String defaultSource) {
		if (allowedTypes.isEmpty()) {
			throw new IllegalArgumentException("eventbus.web.ingestion.allowed-types is empty: list the event types "
					+ "(patterns such as 'order.*') that callers of the ingestion endpoint may publish");
		}
		this.allowedTypes = allowedTypes.stream().map(TypePattern::of).toList();
		this.allowedSources = List.copyOf(allowedSources);
		this.ownSource = ownSource;
		this.defaultSource = defaultSource;
	}

	/**
	 * The source of plain JSON without one, for a caller.
	 * @param principal the caller's name, or {@code null}
	 * @return the source
	 */
	public String defaultSource(@Nullable String principal) {
		return this.defaultSource.replace(PRINCIPAL, name(principal));
	}

	/**
	 * Check that a caller may publish an event.
	 * @param event the event
	 * @param principal the caller's name, or {@code null}
	 * @throws IngestionProblem 403 naming the type or source refused
	 */
	public void check(Event<?> event, @Nullable String principal) {
		if (this.allowedTypes.stream().noneMatch((pattern) -> pattern.matches(event.type()))) {
			throw forbidden("Event type '" + event.type() + "' is not in eventbus.web.ingestion.allowed-types "
					+ this.allowedTypes);
		}
		if (!sourceAllowed(event.source(), principal)) {
			throw forbidden("Source '" + event.source() + "' may not be used here: "
					+ (this.allowedSources.isEmpty() ? "it is the source of an application on the bus"
							: "it is not in eventbus.web.ingestion.allowed-sources " + this.allowedSources));
		}
	}

	private boolean sourceAllowed(String source, @Nullable String principal) {
		if (this.allowedSources.isEmpty()) {
			return !source.equals(this.ownSource) && !BUS_SOURCES.matches(source)
					|| source.equals(defaultSource(principal));
		}
		return this.allowedSources.stream()
			.anyMatch((pattern) -> TypePattern.of(pattern.replace(PRINCIPAL, name(principal))).matches(source));
	}

	private static String name(@Nullable String principal) {
		return (principal != null) ? principal : ANONYMOUS;
	}

	private static IngestionProblem forbidden(String detail) {
		return new IngestionProblem(HttpStatus.FORBIDDEN, "Not allowed", detail);
	}

}
