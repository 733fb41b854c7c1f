package dev.eventbus.runtime;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;

import dev.eventbus.api.BatchResult;
import dev.eventbus.api.Event;
import dev.eventbus.api.EventDecodingException;
import dev.eventbus.api.EventHeader;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.util.Assert;
import org.springframework.util.ReflectionUtils;
import tools.jackson.databind.JsonNode;

/**
 * Invokes one handler: a method, with its arguments resolved by a plan made once at
 * registration (one resolver per parameter), a batch method taking a {@code List}, or a
 * function subscribed in code. Thread safe.
 */
final class HandlerInvoker {

	private final @Nullable Class<?> payloadType;

	private final @Nullable HandlerChain invocation;

	private final @Nullable BatchInvocation batchInvocation;

	private HandlerInvoker(@Nullable Class<?> payloadType, @Nullable HandlerChain invocation,
			@Nullable BatchInvocation batchInvocation) {
		this.payloadType = payloadType;
		this.invocation = invocation;
		this.batchInvocation = batchInvocation;
	}

	/**
	 * Plan the invocation of a method.
	 * @param bean the target bean
	 * @param method the method
	 * @return the invoker
	 * @throws IllegalArgumentException with the reason, if a parameter cannot be resolved
	 */
	static HandlerInvoker forMethod(Object bean, Method method) {
		if (method.getParameterCount() == 1 && method.getParameterTypes()[0] == List.class) {
			return forBatchMethod(bean, method);
		}
		ArgumentResolver[] resolvers = new ArgumentResolver[method.getParameterCount()];
		Class<?> payloadType = null;
		for (int i = 0; i < resolvers.length; i++) {
			MethodParameter parameter = new MethodParameter(method, i);
			Class<?> type = parameter.getParameterType();
			EventHeader header = parameter.getParameterAnnotation(EventHeader.class);
			if (header != null) {
				if (type != String.class) {
					throw new IllegalArgumentException(
							"@EventHeader parameter " + i + " must be a String, is " + type.getName());
				}
				resolvers[i] = headerResolver(header);
				continue;
			}
			if (payloadType != null) {
				throw new IllegalArgumentException("parameter " + i + " (" + type.getSimpleName()
						+ ") is a second payload; a handler takes one payload or Event<T>, plus @EventHeader values");
			}
			if (type == Event.class) {
				payloadType = ResolvableType.forMethodParameter(parameter).getGeneric(0).resolve(Object.class);
				resolvers[i] = (event) -> event;
			}
			else {
				payloadType = (Map.class.isAssignableFrom(type)) ? Map.class : type;
				resolvers[i] = Event::payload;
			}
		}
		ReflectionUtils.makeAccessible(method);
		return new HandlerInvoker(payloadType, (event) -> {
			Object[] args = new Object[resolvers.length];
			for (int i = 0; i < args.length; i++) {
				args[i] = resolvers[i].resolve(event);
			}
			invoke(bean, method, args);
		}, null);
	}

	/**
	 * Plan the invocation of a batch method, whose one parameter is {@code List<T>} or
	 * {@code List<Event<T>>} and which returns {@code void} or a {@link BatchResult}.
	 */
	private static HandlerInvoker forBatchMethod(Object bean, Method method) {
		ResolvableType element = ResolvableType.forMethodParameter(new MethodParameter(method, 0)).getGeneric(0);
		Class<?> elementClass = element.resolve(Object.class);
		if (method.getParameters()[0].isAnnotationPresent(EventHeader.class)) {
			throw new IllegalArgumentException("a batch handler takes one List<T> or List<Event<T>> parameter, "
					+ "without @EventHeader: read headers from Event<T>");
		}
		Class<?> returnType = method.getReturnType();
		if (returnType != void.class && returnType != BatchResult.class) {
			throw new IllegalArgumentException(
					"a batch handler returns void or BatchResult, not " + returnType.getSimpleName());
		}
		boolean envelopes = elementClass == Event.class;
		Class<?> payloadType = envelopes ? element.getGeneric(0).resolve(Object.class)
				: (Map.class.isAssignableFrom(elementClass) ? Map.class : elementClass);
		ReflectionUtils.makeAccessible(method);
		return new HandlerInvoker(payloadType, null, (events) -> {
			List<?> argument = envelopes ? events : events.stream().map(Event::payload).toList();
			return (BatchResult) invoke(bean, method, new Object[] { argument });
		});
	}

	private static @Nullable Object invoke(Object bean, Method method, @Nullable Object[] args) throws Throwable {
		try {
			return method.invoke(bean, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getTargetException();
		}
	}

	/**
	 * Invoke a function subscribed in code with the event, its payload converted.
	 * @param payloadType the class to convert payloads into
	 * @param handler the function
	 * @param <T> the payload type
	 * @return the invoker
	 */
	@SuppressWarnings("unchecked")
	static <T> HandlerInvoker forFunction(Class<T> payloadType, EventConsumer<T> handler) {
		return new HandlerInvoker(payloadType, (event) -> handler.accept((Event<T>) event), null);
	}

	private static ArgumentResolver headerResolver(EventHeader header) {
		String name = header.value();
		boolean required = header.required();
		return (event) -> {
			String value = event.header(name);
			if (value == null && required) {
				throw new EventDecodingException("Event " + event.id() + " lacks required header '" + name + "'");
			}
			return value;
		};
	}

	/**
	 * Class of the payload parameter, or of {@code T} in {@code Event<T>}.
	 * @return the class, or {@code null} when the method takes no payload
	 */
	@Nullable Class<?> payloadType() {
		return this.payloadType;
	}

	/**
	 * Whether the payload is typed: neither a tree, a map, {@code Object}, text nor
	 * bytes.
	 * @return whether data must resolve through the type registry
	 */
	boolean typedPayload() {
		return this.payloadType != null && this.payloadType != JsonNode.class && this.payloadType != Map.class
				&& this.payloadType != Object.class && this.payloadType != String.class
				&& this.payloadType != byte[].class;
	}

	/**
	 * Whether the handler takes batches.
	 * @return whether it takes a {@code List}
	 */
	boolean batch() {
		return this.batchInvocation != null;
	}

	/**
	 * Invoke the handler for an event whose payload was already converted.
	 * @param event the event, payload converted
	 * @throws Throwable what the handler threw
	 */
	void invoke(Event<?> event) throws Throwable {
		Assert.state(this.invocation != null, "A batch handler is invoked with a batch");
		this.invocation.proceed(event);
	}

	/**
	 * Invoke a batch handler for events whose payloads were already converted.
	 * @param events the events, payloads converted
	 * @return what the handler reported, or {@code null} when it returns {@code void}
	 * @throws Throwable what the handler threw
	 */
	@Nullable BatchResult invokeBatch(List<Event<?>> events) throws Throwable {
		Assert.state(this.batchInvocation != null, "A handler of one event at a time is invoked with one event");
		return this.batchInvocation.invoke(events);
	}

	@FunctionalInterface
	private interface BatchInvocation {

		@Nullable BatchResult invoke(List<Event<?>> events) throws Throwable;

	}

	@FunctionalInterface
	private interface ArgumentResolver {

		@Nullable Object resolve(Event<?> event);

	}

}
