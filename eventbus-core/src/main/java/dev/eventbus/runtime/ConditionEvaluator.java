package dev.eventbus.runtime;

import dev.eventbus.api.Event;
import dev.eventbus.api.EventBusException;
import org.springframework.expression.EvaluationException;
import org.springframework.expression.Expression;
import org.springframework.expression.spel.support.MapAccessor;
import org.springframework.expression.spel.support.StandardEvaluationContext;

/**
 * Evaluates a handler's SpEL condition over the envelope (payload converted, maps
 * readable as properties). A condition that throws is a mistake in the handler's
 * configuration, not a failure of the event: it is reported as an
 * {@link InvalidConditionException}, which is not retried.
 */
final class ConditionEvaluator {

	private static final MapAccessor MAP_ACCESSOR = new MapAccessor();

	private ConditionEvaluator() {
	}

	/**
	 * Whether the handler's condition holds.
	 * @param handler the handler
	 * @param event the event, payload converted
	 * @return whether it holds; {@code true} without a condition
	 * @throws InvalidConditionException if the condition cannot be evaluated
	 */
	static boolean holds(HandlerDefinition handler, Event<?> event) {
		Expression condition = handler.condition();
		if (condition == null) {
			return true;
		}
		StandardEvaluationContext context = new StandardEvaluationContext(event);
		context.addPropertyAccessor(MAP_ACCESSOR);
		try {
			return Boolean.TRUE.equals(condition.getValue(context, Boolean.class));
		}
		catch (EvaluationException ex) {
			throw new InvalidConditionException("Condition '" + handler.info().condition() + "' of handler "
					+ handler.id() + " cannot be evaluated on event " + event.id() + " of type '" + event.type() + "': "
					+ ex.getMessage() + "; fix the condition", ex);
		}
	}

	/**
	 * A handler's condition cannot be evaluated on an event: a configuration error of the
	 * handler.
	 */
	static final class InvalidConditionException extends EventBusException {

		InvalidConditionException(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
