package dev.eventbus.sample.notification;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /notifications}: what the VIP desk was told, oldest first.
 */
@RestController
class NotificationController {

	private final VipDesk desk;

	NotificationController(VipDesk desk) {
		this.desk = desk;
	}

	@GetMapping("/notifications")
	List<VipNotification> notifications() {
		return this.desk.notifications();
	}

}
