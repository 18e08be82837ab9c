package io.yibao.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.http.converter.HttpMessageNotReadableException;

/** Request errors Spring detects before a handler runs, answered as OperationOutcomes too. */
@RestControllerAdvice
public class ErrorAnswers {

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ObjectNode> unsupportedMediaType(HttpMediaTypeNotSupportedException e) {
        return OperationOutcomes.response(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "not-supported", "UNSUPPORTED_MEDIA_TYPE",
                "send application/fhir+json (or application/json)");
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ObjectNode> unreadable(HttpMessageNotReadableException e) {
        return OperationOutcomes.response(HttpStatus.BAD_REQUEST, "structure", "UNREADABLE_BODY",
                "the request body could not be read as JSON");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ObjectNode> methodNotAllowed(HttpRequestMethodNotSupportedException e) {
        return OperationOutcomes.response(HttpStatus.METHOD_NOT_ALLOWED, "not-supported", "METHOD_NOT_ALLOWED",
                "method " + e.getMethod() + " is not supported here");
    }
}
