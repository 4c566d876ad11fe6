"""Readers: one per resource form, each turning wire properties (camelCase, plain data) into a view.

Readers are plain functions of a `Resource`, so they read a record expanded from an embedded
CloudFormation template exactly as a resource of the provider whose token it carries.
"""
