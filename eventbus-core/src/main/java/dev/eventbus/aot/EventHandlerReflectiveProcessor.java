package dev.eventbus.aot;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.List;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventHeader;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.annotation.SimpleReflectiveProcessor;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;

/**
 * The ahead-of-time hints of an {@code @EventHandler} method: invoking the method, and
 * binding its payload type (the parameter, or {@code T} of {@code Event<T>},
 * {@code List<T>} or {@code List<Event<T>>}, and every permitted subclass of a sealed
 * one) with Jackson, so that a native image can call the handler and convert the data it
 * receives.
 */
public class EventHandlerReflectiveProcessor extends SimpleReflectiveProcessor {

	private final BindingReflectionHintsRegistrar bindingRegistrar = new BindingReflectionHintsRegistrar();

	@Override
	protected void registerMethodHint(ReflectionHints hints, Method method) {
		super.registerMethodHint(hints, method);
		for (int i = 0; i < method.getParameterCount(); i++) {
			MethodParameter parameter = new MethodParameter(method, i);
			if (parameter.hasParameterAnnotation(EventHeader.class)) {
				continue;
			}
			ResolvableType type = ResolvableType.forMethodParameter(parameter);
			if (type.resolve(Object.class) == List.class) {
				type = type.getGeneric(0);
			}
			Type payload = (type.resolve(Object.class) == Event.class) ? type.getGeneric(0).getType() : type.getType();
			this.bindingRegistrar.registerReflectionHints(hints, payload);
			registerSealedSubtypes(hints, ResolvableType.forType(payload).resolve(Object.class));
		}
	}

	private void registerSealedSubtypes(ReflectionHints hints, Class<?> type) {
		Class<?>[] permitted = type.getPermittedSubclasses();
		if (permitted != null) {
			for (Class<?> subtype : permitted) {
				this.bindingRegistrar.registerReflectionHints(hints, subtype);
				registerSealedSubtypes(hints, subtype);
			}
		}
	}

}
