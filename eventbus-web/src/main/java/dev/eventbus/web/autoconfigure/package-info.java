/**
 * Auto-configuration of the HTTP ingestion endpoint ({@code eventbus.web.ingestion.*}).
 */
@NullMarked
package dev.eventbus.web.autoconfigure;

import org.jspecify.annotations.NullMarked;
