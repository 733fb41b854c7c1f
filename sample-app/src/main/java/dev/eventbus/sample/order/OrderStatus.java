package dev.eventbus.sample.order;

/**
 * Where an order is in its flow. Statuses only move forward, in declaration order.
 */
public enum OrderStatus {

	/** Accepted over HTTP; {@code order.placed} is published. */
	PLACED,

	/** Stock is reserved ({@code inventory.reserved}). */
	STOCK_RESERVED,

	/** The customer was charged ({@code payment.completed}). */
	PAID,

	/** The parcel left the warehouse ({@code order.shipped}). */
	SHIPPED

}
