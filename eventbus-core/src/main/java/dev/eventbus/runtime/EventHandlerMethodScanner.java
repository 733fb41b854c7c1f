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
import dev.eventbus.spi.BatchSpec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
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
 * {@link HandlerDefinition}: type patterns, group, destinations, retry and an invocation
 * plan. Registers payload classes in the type registry. An invalid method fails with
 * {@link InvalidEventHandlerException} naming the bean and the method. Classes without
 * handler methods are remembered and not introspected again. Thread safe.
 */
final class EventHandlerMethodScanner {

	private static final Log logger = LogFactory.getLog(EventHandlerMethodScanner.class);

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
			HandlerInvoker invoker = HandlerInvoker.forMethod(bean, invocable);
			List<TypePattern> patterns = patterns(annotation, invoker);
			String id = annotation.id().isBlank() ? type.getSimpleName() + "." + method.getName()
					: resolve(annotation.id());
			int concurrency = (annotation.concurrency() == -1) ? this.defaults.concurrency() : annotation.concurrency();
			if (concurrency < 1) {
				throw new IllegalArgumentException(
						"concurrency must be at least 1 (or -1 for the default), was " + annotation.concurrency());
			}
			List<String> destinations = new ArrayList<>();
			for (String destination : annotation.destinations()) {
				destinations.add(resolve(destination));
			}
			String condition = annotation.condition().isBlank() ? null : resolve(annotation.condition());
			Duration timeout = annotation.timeout().isBlank() ? this.defaults.timeout()
					: duration(annotation.timeout(), "timeout");
			BatchSpec batch = batch(annotation, invoker);
			boolean idempotent = idempotent(annotation);
			if (idempotent && batch != null) {
				throw new IllegalArgumentException("a batch handler cannot be idempotent through the inbox: "
						+ "deduplicate the items in the handler, on their event ids");
			}
			return build(id, beanName, methodName, patterns,
					annotation.group().isBlank() ? null : resolve(annotation.group()), destinations, concurrency,
					condition, retry(annotation.retry()), annotation.deadLetter(), timeout,
					annotation.isolated() || batch != null, batch, idempotent, invoker);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidEventHandlerException(beanName, methodName, ex.getMessage());
		}
	}

	/**
	 * Define a handler subscribed in code.
	 * @param pattern the type pattern
	 * @param payloadType the payload class
	 * @param options the options
	 * @param invoker invokes the function
	 * @return the handler
	 * @throws IllegalArgumentException if an option is invalid
	 */
	HandlerDefinition define(String pattern, Class<?> payloadType, SubscribeOptions options, HandlerInvoker invoker) {
		TypePattern typePattern = TypePattern.of(pattern);
		registerPayload(List.of(typePattern), payloadType, invoker);
		String id = (options.id() != null) ? options.id() : "subscribe:" + pattern;
		int concurrency = (options.concurrency() != null) ? options.concurrency() : this.defaults.concurrency();
		if (concurrency < 1) {
			throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
		}
		return build(id, null, "subscribe(" + pattern + ", " + payloadType.getSimpleName() + ")", List.of(typePattern),
				options.group(), options.destinations(), concurrency, null,
				(options.retry() != null) ? options.retry() : this.defaults.retry(), options.deadLetter(),
				(options.timeout() != null) ? options.timeout() : this.defaults.timeout(), options.isolated(), null,
				this.defaults.idempotent(), invoker);
	}

	private boolean idempotent(EventHandler annotation) {
		if (annotation.idempotent().isBlank()) {
			return this.defaults.idempotent();
		}
		String value = resolve(annotation.idempotent()).trim();
		if (!value.equals("true") && !value.equals("false")) {
			throw new IllegalArgumentException(
					"idempotent must be true or false, was '" + annotation.idempotent() + "'");
		}
		return Boolean.parseBoolean(value);
	}

	/**
	 * How a batch handler's batches are formed: its attributes, else the defaults.
	 * @return the batch, or {@code null} for a handler of one event at a time
	 */
	private @Nullable BatchSpec batch(EventHandler annotation, HandlerInvoker invoker) {
		if (!invoker.batch()) {
			if (annotation.maxBatchSize() != -1 || !annotation.maxBatchWait().isBlank()) {
				throw new IllegalArgumentException("maxBatchSize and maxBatchWait apply to batch handlers only, "
						+ "whose parameter is a List<T> or List<Event<T>>");
			}
			return null;
		}
		BatchSpec defaults = this.defaults.batch();
		int maxSize = (annotation.maxBatchSize() == -1) ? defaults.maxSize() : annotation.maxBatchSize();
		if (maxSize < 1) {
			throw new IllegalArgumentException(
					"maxBatchSize must be at least 1 (or -1 for the default), was " + annotation.maxBatchSize());
		}
		return new BatchSpec(maxSize, duration(annotation.maxBatchWait(), defaults.maxWait(), "maxBatchWait"));
	}

	private HandlerDefinition build(String id, @Nullable String beanName, String method, List<TypePattern> patterns,
			@Nullable String group, List<String> destinations, int concurrency, @Nullable String condition,
			RetrySettings retry, boolean deadLetter, @Nullable Duration timeout, boolean isolated,
			@Nullable BatchSpec batch, boolean idempotent, HandlerInvoker invoker) {
		String resolvedGroup = (group != null) ? group : this.defaults.group();
		if (resolvedGroup.isBlank()) {
			throw new IllegalArgumentException("group resolves to an empty string");
		}
		Set<String> resolvedDestinations = new LinkedHashSet<>();
		for (String destination : destinations) {
			if (destination.isBlank()) {
				throw new IllegalArgumentException("a destination resolves to an empty string");
			}
			resolvedDestinations.add(destination);
		}
		if (resolvedDestinations.isEmpty()) {
			resolvedDestinations.addAll(this.router.destinationsFor(patterns));
		}
		HandlerInfo info = new HandlerInfo(id, beanName, method, patterns.stream().map(TypePattern::toString).toList(),
				resolvedGroup, List.copyOf(resolvedDestinations), concurrency, condition, retry, deadLetter, timeout,
				isolated, batch, idempotent);
		return new HandlerDefinition(info, patterns, parseCondition(condition), invoker);
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
		registerPayload(patterns, payloadType, invoker);
		return List.copyOf(patterns);
	}

	/**
	 * Register what a handler's payload parameter can receive: the class itself, under
	 * each literal pattern too, and every permitted subclass of a sealed type, so that a
	 * handler on a supertype gets its subtypes.
	 */
	private void registerPayload(List<TypePattern> patterns, @Nullable Class<?> payloadType, HandlerInvoker invoker) {
		if (!invoker.typedPayload() || payloadType == null) {
			return;
		}
		if (!payloadType.isInterface() && !java.lang.reflect.Modifier.isAbstract(payloadType.getModifiers())) {
			String type = this.registry.register(payloadType);
			for (TypePattern pattern : patterns) {
				if (pattern.isLiteral() && !pattern.toString().equals(type)) {
					this.registry.register(pattern.toString(), payloadType);
					logger.warn("Handler of type '" + pattern + "' takes " + payloadType.getName()
							+ ", which is published as type '" + type + "': events of that class published by this"
							+ " application will not reach the handler unless published with type '" + pattern
							+ "'; annotate the class with @EventType(\"" + pattern + "\") if that is its type");
				}
			}
		}
		registerSealedSubtypes(payloadType);
	}

	private void registerSealedSubtypes(Class<?> type) {
		Class<?>[] permitted = type.getPermittedSubclasses();
		if (permitted == null) {
			return;
		}
		for (Class<?> subtype : permitted) {
			if (!subtype.isInterface() && !java.lang.reflect.Modifier.isAbstract(subtype.getModifiers())) {
				this.registry.register(subtype);
			}
			registerSealedSubtypes(subtype);
		}
	}

	private @Nullable Expression parseCondition(@Nullable String condition) {
		if (condition == null) {
			return null;
		}
		try {
			return this.expressionParser.parseExpression(condition);
		}
		catch (ParseException ex) {
			throw new IllegalArgumentException("condition '" + condition + "' is not valid SpEL: " + ex.getMessage());
		}
	}

	private RetrySettings retry(Retry retry) {
		RetrySettings base = this.defaults.retry();
		return new RetrySettings((retry.maxRetries() == -1) ? base.maxRetries() : retry.maxRetries(),
				duration(retry.delay(), base.delay(), "retry delay"),
				(retry.multiplier() == -1) ? base.multiplier() : retry.multiplier(),
				duration(retry.maxDelay(), base.maxDelay(), "retry maxDelay"),
				duration(retry.jitter(), base.jitter(), "retry jitter"),
				(retry.includes().length > 0) ? List.of(retry.includes()) : base.includes(),
				(retry.excludes().length > 0) ? List.of(retry.excludes()) : base.excludes());
	}

	private Duration duration(String value, Duration defaultValue, String attribute) {
		return value.isBlank() ? defaultValue : duration(value, attribute);
	}

	private Duration duration(String value, String attribute) {
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
			throw new IllegalArgumentException(
					attribute + " '" + value + "' is not a duration (use 500ms, 2s, 1m or ISO-8601 like PT2S)");
		}
	}

	private String resolve(String value) {
		String resolved = this.valueResolver.resolveStringValue(value);
		return (resolved != null) ? resolved : value;
	}

}
