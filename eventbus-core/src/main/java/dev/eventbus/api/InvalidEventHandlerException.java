package dev.eventbus.api;

/**
 * Thrown at start-up for an {@link EventHandler} method that cannot be wired. The message
 * names the bean, the method and what is wrong with it.
 */
public class InvalidEventHandlerException extends EventBusException {

	private final String beanName;

	private final String method;

	private final String reason;

	public InvalidEventHandlerException(String beanName, String method, String reason) {
		super("Invalid @EventHandler method '" + method + "' on bean '" + beanName + "': " + reason);
		this.beanName = beanName;
		this.method = method;
		this.reason = reason;
	}

	public String getBeanName() {
		return this.beanName;
	}

	public String getMethod() {
		return this.method;
	}

	public String getReason() {
		return this.reason;
	}

}
