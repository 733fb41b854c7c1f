package dev.eventbus.runtime;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.eventbus.api.EventHandler;
import dev.eventbus.api.InvalidEventHandlerException;
import dev.eventbus.api.Retry;
import dev.eventbus.codec.EventTypeRegistry;
import dev.eventbus.codec.TypePattern;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringValueResolver;

/**
 * Finds {@link EventHandler} methods on a bean and turns each into a validated
 * {@link HandlerDefinition}: type patterns, group, destinations, retry and an invocation plan.
 * Registers payload classes in the type registry. An invalid method fails with
 * {@link InvalidEventHandlerException} naming the bean and the method. Classes without handler
 * methods are remembered and not introspected again. Thread safe.
 */
final class EventHandlerMethodScanner {

	private static final Pattern DURATION = Pattern.compile("^(\\d+)\\s*(ms|s|m|h|d)?$");

	private final Set<Class<?>> classesWithoutHandlers = Collections.newSetFromMap(new ConcurrentHashMap<>());

	private final SpelExpressionParser expressionParser = new SpelExpressionParser();

	private final EventTypeRegistry registry;

	private final DestinationRouter router;

	private final HandlerDefaults defaults;

	private final StringValueResolver valueResolver;

	EventHandlerMethodScanner(EventTypeRegistry registry, DestinationRouter router, HandlerDefaults defaults,
			@Nullable StringValueResolver valueResolver) {
		this.registry = registry;
		this.router = router;
		this.defaults = defaults;
		this.valueResolver = (valueResolver != null) ? valueResolver : (value) -> value;
	}

	/**
	 * Whether a class may declare handlers; cheap, for bean post-processing.
	 * @param type the bean class
	 * @return {@code false} if it is known to declare none
	 */
	boolean mayHaveHandlers(Class<?> type) {
		return !this.classesWithoutHandlers.contains(type);
	}

	List<HandlerDefinition> scan(String beanName, Object bean) {
		Class<?> type = ClassUtils.getUserClass(bean);
		if (this.classesWithoutHandlers.contains(type)) {
			return List.of();
		}
		Map<Method, EventHandler> methods = MethodIntrospector.selectMethods(type,
				(MethodIntrospector.MetadataLookup<EventHandler>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, EventHandler.class));
		if (methods.isEmpty()) {
			this.classesWithoutHandlers.add(type);
			return List.of();
		}
		List<HandlerDefinition> definitions = new ArrayList<>();
		methods.forEach((method, annotation) -> definitions.add(define(beanName, bean, type, method, annotation)));
		return definitions;
	}

	private HandlerDefinition define(String beanName, Object bean, Class<?> type, Method method,
			EventHandler annotation) {
		String methodName = HandlerDefinition.describe(method);
		try {
			Method invocable = MethodIntrospector.selectInvocableMethod(method, bean.getClass());
			HandlerInvoker invoker = HandlerInvoker.create(bean, invocable);
			List<TypePattern> patterns = patterns(annotation, invoker);
			String id = annotation.id().isBlank() ? type.getSimpleName() + "." + method.getName()
					: resolve(annotation.id());
			String group = annotation.group().isBlank() ? this.defaults.group() : resolve(annotation.group());
			if (group.isBlank()) {
				throw new IllegalArgumentException("group resolves to an empty string");
			}
			int concurrency = (annotation.concurrency() == -1) ? this.defaults.concurrency() : annotation.concurrency();
			if (concurrency < 1) {
				throw new IllegalArgumentException("concurrency must be at least 1 (or -1 for the default), was "
						+ annotation.concurrency());
			}
			List<String> destinations = destinations(annotation, patterns);
			return new HandlerDefinition(id, beanName, invocable, patterns, group, destinations, concurrency,
					condition(annotation), retry(annotation.retry()), annotation.deadLetter(), invoker);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidEventHandlerException(beanName, methodName, ex.getMessage());
		}
	}

	private List<TypePattern> patterns(EventHandler annotation, HandlerInvoker invoker) {
		Class<?> payloadType = invoker.payloadType();
		List<TypePattern> patterns = new ArrayList<>();
		for (String type : annotation.types()) {
			patterns.add(TypePattern.of(resolve(type)));
		}
		if (patterns.isEmpty()) {
			if (!invoker.typedPayload() || payloadType == null) {
				throw new IllegalArgumentException("it declares no types and its payload parameter ("
						+ ((payloadType != null) ? payloadType.getSimpleName() : "none")
						+ ") names none: set @EventHandler(types = \"...\")");
			}
			patterns.add(TypePattern.of(this.registry.register(payloadType)));
		}
		else if (invoker.typedPayload() && payloadType != null) {
			this.registry.register(payloadType);
			for (TypePattern pattern : patterns) {
				if (pattern.isLiteral()) {
					this.registry.register(pattern.toString(), payloadType);
				}
			}
		}
		return List.copyOf(patterns);
	}

	private List<String> destinations(EventHandler annotation, List<TypePattern> patterns) {
		Set<String> destinations = new LinkedHashSet<>();
		for (String destination : annotation.destinations()) {
			String resolved = resolve(destination);
			if (resolved.isBlank()) {
				throw new IllegalArgumentException("a destination resolves to an empty string");
			}
			destinations.add(resolved);
		}
		if (destinations.isEmpty()) {
			destinations.addAll(this.router.destinationsFor(patterns));
		}
		return List.copyOf(destinations);
	}

	private @Nullable Expression condition(EventHandler annotation) {
		if (annotation.condition().isBlank()) {
			return null;
		}
		try {
			return this.expressionParser.parseExpression(resolve(annotation.condition()));
		}
		catch (ParseException ex) {
			throw new IllegalArgumentException("condition '" + annotation.condition() + "' is not valid SpEL: "
					+ ex.getMessage());
		}
	}

	private RetrySettings retry(Retry retry) {
		RetrySettings base = this.defaults.retry();
		return new RetrySettings((retry.maxAttempts() == -1) ? base.maxAttempts() : retry.maxAttempts(),
				duration(retry.initialInterval(), base.initialInterval(), "initialInterval"),
				(retry.multiplier() == -1) ? base.multiplier() : retry.multiplier(),
				duration(retry.maxInterval(), base.maxInterval(), "maxInterval"),
				duration(retry.jitter(), base.jitter(), "jitter"),
				(retry.noRetryFor().length > 0) ? List.of(retry.noRetryFor()) : base.noRetryFor());
	}

	private Duration duration(String value, Duration defaultValue, String attribute) {
		if (value.isBlank()) {
			return defaultValue;
		}
		String resolved = resolve(value).trim();
		Matcher matcher = DURATION.matcher(resolved);
		if (matcher.matches()) {
			long amount = Long.parseLong(matcher.group(1));
			String unit = (matcher.group(2) != null) ? matcher.group(2) : "ms";
			return switch (unit) {
				case "s" -> Duration.ofSeconds(amount);
				case "m" -> Duration.ofMinutes(amount);
				case "h" -> Duration.ofHours(amount);
				case "d" -> Duration.ofDays(amount);
				default -> Duration.ofMillis(amount);
			};
		}
		try {
			return Duration.parse(resolved);
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException("retry " + attribute + " '" + value
					+ "' is not a duration (use 500ms, 2s, 1m or ISO-8601 like PT2S)");
		}
	}

	private String resolve(String value) {
		String resolved = this.valueResolver.resolveStringValue(value);
		return (resolved != null) ? resolved : value;
	}

}
