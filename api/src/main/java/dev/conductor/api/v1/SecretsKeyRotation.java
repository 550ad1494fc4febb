package dev.conductor.api.v1;

/**
 * {@code POST /v1/admin/secrets-key/rotate}: whether the conductor made itself a new key (its key
 * is the home's key file) or re-sealed under the key it was given; and the stored secrets it
 * re-sealed, found sealed with the current key already, and could open with no key it knows (left
 * as they are).
 */
public record SecretsKeyRotation(
    boolean newKey, int resealed, int alreadyCurrent, int unreadable) {}
