package dev.softswitch.config;

/** An assistant id named by a route or a PBX user, checked once every assistant has been read. */
record AssistantReference(String id, YamlNode node, String field) {}
