package dev.eventbus.runtime;

import java.util.List;

import dev.eventbus.api.Event;
import dev.eventbus.api.PublishResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The registered {@link EventBusInterceptor}s, called in order; a failing one is logged and does
 * not stop the others or the bus. Immutable and thread safe.
 */
final class Interceptors {

	private static final Log logger = LogFactory.getLog(Interceptors.class);

	private final EventBusInterceptor[] interceptors;

	Interceptors(List<EventBusInterceptor> interceptors) {
		this.interceptors = interceptors.toArray(EventBusInterceptor[]::new);
	}

	boolean isEmpty() {
		return this.interceptors.length == 0;
	}

	void published(Event<?> event, PublishResult result) {
		for (EventBusInterceptor interceptor : this.interceptors) {
			try {
				interceptor.published(event, result);
			}
			catch (RuntimeException ex) {
				logger.warn("Interceptor " + interceptor + " failed on published event " + event.id(), ex);
			}
		}
	}

	void handled(Event<?> event, HandlerDefinition handler, String outcome) {
		for (EventBusInterceptor interceptor : this.interceptors) {
			try {
				interceptor.handled(event, handler, outcome);
			}
			catch (RuntimeException ex) {
				logger.warn("Interceptor " + interceptor + " failed on handled event " + event.id(), ex);
			}
		}
	}

}
