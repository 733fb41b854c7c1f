package dev.eventbus.sample.notification;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.stereotype.Component;

/**
 * The VIP desk's inbox, in memory. Thread safe.
 */
@Component
public class VipDesk {

	private final List<VipNotification> notifications = new CopyOnWriteArrayList<>();

	void notify(VipNotification notification) {
		this.notifications.add(notification);
	}

	/**
	 * Notifications received so far.
	 * @return them, oldest first
	 */
	public List<VipNotification> notifications() {
		return List.copyOf(this.notifications);
	}

}
