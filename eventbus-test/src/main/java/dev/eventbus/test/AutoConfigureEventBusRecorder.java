package dev.eventbus.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.context.annotation.Import;

/**
 * Registers an {@link EventBusRecorder} bean in a Spring test's application context, one
 * that knows the bus's handlers, and clears it after each test method, so that every test
 * sees only the events of its own. Inject it with
 * {@code @Autowired EventBusRecorder recorder}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Import(EventBusRecorderConfiguration.class)
@ExtendWith(EventBusRecorderExtension.class)
public @interface AutoConfigureEventBusRecorder {

}
