package dev.eventbus.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Order service built on the event bus: orders placed over HTTP flow through inventory,
 * payment and shipping handlers as events, on the in-memory adapter unless
 * {@code eventbus.adapter} says otherwise.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class OrderServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(OrderServiceApplication.class, args);
	}

}
