package io.yibao.simulator;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The platform simulator: a stand-in for the national medical-insurance information platform that
 * accepts signed canonical message Bundles over mutual TLS and answers with receipts. For development,
 * tests and demos only.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PlatformSimulatorApplication {

    /**
     * The simulator reads {@code platform-simulator.properties}, not {@code application.*}, so that it can
     * run in the same JVM as the gateway (the gateway's end-to-end tests) without either reading the
     * other's configuration.
     */
    public static final String CONFIG_NAME = "spring.config.name=platform-simulator";

    public static void main(String[] args) {
        start(args);
    }

    /** Starts the simulator with its own configuration; further properties as {@code key=value} arguments. */
    public static ConfigurableApplicationContext start(String... args) {
        return new SpringApplicationBuilder(PlatformSimulatorApplication.class)
                .properties(CONFIG_NAME).run(args);
    }
}
