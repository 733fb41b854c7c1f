package dev.eventbus.spi;

/**
 * CloudEvents content modes.
 */
public enum ContentMode {

	/** The whole event, attributes and data, is one JSON document in the body. */
	STRUCTURED,

	/** Attributes are {@code ce_*} headers; the body is the data alone. */
	BINARY

}
