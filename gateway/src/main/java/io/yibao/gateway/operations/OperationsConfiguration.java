package io.yibao.gateway.operations;

import io.yibao.gateway.platform.CircuitBreakerProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Health, metrics and the circuit breaker on forwarding: their settings. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({PlatformHealthProperties.class, CircuitBreakerProperties.class})
public class OperationsConfiguration {}
