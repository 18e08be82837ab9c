package io.yibao.simulator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The platform simulator: a stand-in for the national medical-insurance information platform that
 * accepts signed canonical message Bundles over mutual TLS and answers with receipts. For development,
 * tests and demos only.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PlatformSimulatorApplication {

    public static void main(String[] args) {
        SpringApplication.run(PlatformSimulatorApplication.class, args);
    }
}
