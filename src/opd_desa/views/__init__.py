"""Views: what each command shows, as plain values handed to `output.present.present`."""
