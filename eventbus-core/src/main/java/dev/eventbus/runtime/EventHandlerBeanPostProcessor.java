package dev.eventbus.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.eventbus.api.EventHandler;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;

/**
 * Registers the {@link EventHandler} methods of every bean with the {@link EventBus}.
 * Beans that may declare handlers are collected as they are initialized and handed to the
 * bus once all singletons exist, so the bus and its adapter are not created early; beans
 * initialized later are handed over at once. The bus introspects each class once and
 * remembers classes without handlers. An invalid handler fails the start-up, naming bean
 * and method.
 */
public class EventHandlerBeanPostProcessor implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton {

	private final Map<String, Object> pending = new LinkedHashMap<>();

	private @Nullable BeanFactory beanFactory;

	private volatile @Nullable EventBus eventBus;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
		this.beanFactory = beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> type = ClassUtils.getUserClass(bean);
		if (bean instanceof EventBus || !AnnotationUtils.isCandidateClass(type, EventHandler.class)) {
			return bean;
		}
		EventBus bus = this.eventBus;
		if (bus != null) {
			bus.registerHandlers(beanName, bean);
		}
		else {
			synchronized (this.pending) {
				this.pending.put(beanName, bean);
			}
		}
		return bean;
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (this.beanFactory == null) {
			return;
		}
		EventBus bus = this.beanFactory.getBean(EventBus.class);
		synchronized (this.pending) {
			this.pending.forEach(bus::registerHandlers);
			this.pending.clear();
			this.eventBus = bus;
		}
	}

}
