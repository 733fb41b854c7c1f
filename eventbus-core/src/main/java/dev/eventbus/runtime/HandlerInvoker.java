package dev.eventbus.runtime;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventDecodingException;
import dev.eventbus.api.Header;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.util.ReflectionUtils;
import tools.jackson.databind.JsonNode;

/**
 * Invokes one handler method. Argument resolution is planned once at start-up, one resolver per
 * parameter, so invocation does no reflection beyond the call itself. Thread safe.
 */
public final class HandlerInvoker {

	private final Object bean;

	private final Method method;

	private final ArgumentResolver[] resolvers;

	private final @Nullable Class<?> payloadType;

	private final boolean envelopeParameter;

	private HandlerInvoker(Object bean, Method method, ArgumentResolver[] resolvers, @Nullable Class<?> payloadType,
			boolean envelopeParameter) {
		this.bean = bean;
		this.method = method;
		this.resolvers = resolvers;
		this.payloadType = payloadType;
		this.envelopeParameter = envelopeParameter;
	}

	/**
	 * Plan the invocation of a method.
	 * @param bean the target bean
	 * @param method the method
	 * @return the invoker
	 * @throws IllegalArgumentException with the reason, if a parameter cannot be resolved
	 */
	static HandlerInvoker create(Object bean, Method method) {
		ArgumentResolver[] resolvers = new ArgumentResolver[method.getParameterCount()];
		Class<?> payloadType = null;
		boolean envelope = false;
		for (int i = 0; i < resolvers.length; i++) {
			MethodParameter parameter = new MethodParameter(method, i);
			Class<?> type = parameter.getParameterType();
			Header header = parameter.getParameterAnnotation(Header.class);
			if (header != null) {
				if (type != String.class) {
					throw new IllegalArgumentException("@Header parameter " + i + " must be a String, is " + type.getName());
				}
				resolvers[i] = headerResolver(header);
				continue;
			}
			if (payloadType != null) {
				throw new IllegalArgumentException("parameter " + i + " (" + type.getSimpleName()
						+ ") is a second payload; a handler takes one payload or Event<T>, plus @Header values");
			}
			if (type == Event.class) {
				Class<?> generic = ResolvableType.forMethodParameter(parameter).getGeneric(0).resolve(Object.class);
				payloadType = generic;
				envelope = true;
				resolvers[i] = (event, payload) -> event;
			}
			else {
				payloadType = (Map.class.isAssignableFrom(type)) ? Map.class : type;
				resolvers[i] = (event, payload) -> payload;
			}
		}
		ReflectionUtils.makeAccessible(method);
		return new HandlerInvoker(bean, method, resolvers, payloadType, envelope);
	}

	private static ArgumentResolver headerResolver(Header header) {
		String name = header.value();
		boolean required = header.required();
		return (event, payload) -> {
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
	public @Nullable Class<?> payloadType() {
		return this.payloadType;
	}

	/**
	 * Whether the payload is typed: neither a tree, a map nor {@code Object}.
	 * @return whether data must resolve through the type registry
	 */
	public boolean typedPayload() {
		return this.payloadType != null && this.payloadType != JsonNode.class && this.payloadType != Map.class
				&& this.payloadType != Object.class;
	}

	boolean takesEnvelope() {
		return this.envelopeParameter;
	}

	/**
	 * Invoke the method for an event whose payload was already converted.
	 * @param event the event, payload converted
	 * @throws Throwable what the method threw
	 */
	void invoke(Event<?> event) throws Throwable {
		Object[] args = new Object[this.resolvers.length];
		for (int i = 0; i < args.length; i++) {
			args[i] = this.resolvers[i].resolve(event, event.payload());
		}
		try {
			this.method.invoke(this.bean, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getTargetException();
		}
	}

	@FunctionalInterface
	private interface ArgumentResolver {

		@Nullable Object resolve(Event<?> event, Object payload);

	}

}
