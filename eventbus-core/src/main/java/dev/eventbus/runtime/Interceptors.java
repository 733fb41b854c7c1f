package dev.eventbus.runtime;

import java.util.List;

import dev.eventbus.api.Event;
import dev.eventbus.api.PublishResult;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The registered {@link EventBusInterceptor}s, applied in order. A failing notification
 * is logged and does not stop the others or the bus; {@link #intercept} nests the
 * interceptors around a handling, the first outermost. Immutable and thread safe.
 */
final class Interceptors {

	private static final Log logger = LogFactory.getLog(Interceptors.class);

	private final List<EventBusInterceptor> interceptors;

	Interceptors(List<EventBusInterceptor> interceptors) {
		this.interceptors = List.copyOf(interceptors);
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

	void intercept(Event<?> event, HandlerInfo handler, HandlerChain handling) throws Throwable {
		chain(0, handler, handling).proceed(event);
	}

	private HandlerChain chain(int index, HandlerInfo handler, HandlerChain handling) {
		if (index == this.interceptors.size()) {
			return handling;
		}
		EventBusInterceptor interceptor = this.interceptors.get(index);
		HandlerChain next = chain(index + 1, handler, handling);
		return (event) -> interceptor.intercept(event, handler, next);
	}

	void handled(Event<?> event, HandlerInfo handler, Outcome outcome) {
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
