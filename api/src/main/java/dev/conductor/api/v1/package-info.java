/**
 * The HTTP API's request and response bodies (docs/api.md), one record each, shared by the server,
 * the CLI, the bench and the tests. Ids and states are the strings of the wire, so a client reads
 * the answers of a newer server whose states it does not know yet.
 */
package dev.conductor.api.v1;
