/**
 * HTTP ingestion: a CloudEvents endpoint through which systems outside the bus publish
 * events to it.
 */
@NullMarked
package dev.eventbus.web;

import org.jspecify.annotations.NullMarked;
