"""Test fakes (not mocks): small working stand-ins for external systems."""
