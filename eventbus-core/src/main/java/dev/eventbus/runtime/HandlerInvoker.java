package dev.eventbus.runtime;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventDecodingException;
import dev.eventbus.api.EventHeader;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.util.ReflectionUtils;
import tools.jackson.databind.JsonNode;

/**
 * Invokes one handler: a method, with its arguments resolved by a plan made once at
 * registration (one resolver per parameter), or a function subscribed in code. Thread
 * safe.
 */
final class HandlerInvoker {

	private final @Nullable Class<?> payloadType;

	private final HandlerChain invocation;

	private HandlerInvoker(@Nullable Class<?> payloadType, HandlerChain invocation) {
		this.payloadType = payloadType;
		this.invocation = invocation;
	}

	/**
	 * Plan the invocation of a method.
	 * @param bean the target bean
	 * @param method the method
	 * @return the invoker
	 * @throws IllegalArgumentException with the reason, if a parameter cannot be resolved
	 */
	static HandlerInvoker forMethod(Object bean, Method method) {
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
			try {
				method.invoke(bean, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getTargetException();
			}
		});
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
		return new HandlerInvoker(payloadType, (event) -> handler.accept((Event<T>) event));
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
	 * Invoke the handler for an event whose payload was already converted.
	 * @param event the event, payload converted
	 * @throws Throwable what the handler threw
	 */
	void invoke(Event<?> event) throws Throwable {
		this.invocation.proceed(event);
	}

	@FunctionalInterface
	private interface ArgumentResolver {

		@Nullable Object resolve(Event<?> event);

	}

}
