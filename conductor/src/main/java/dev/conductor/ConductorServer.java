package dev.conductor;

public final class ConductorServer {
  public static void main(String[] args) {}
}
