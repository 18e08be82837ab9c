package io.yibao.gateway;

import io.yibao.gateway.config.GatewayProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The gateway: ingress, durable queues, translate → validate → sign, forward, ledger and quarantine. */
@SpringBootApplication
@EnableConfigurationProperties(GatewayProperties.class)
@EnableScheduling
public class GatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }
}
