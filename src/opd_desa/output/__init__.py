"""How plain values become what people and scripts read: columns, terminal tables, files, `present`.

`present(view, format, output, env)` in `output.present` is the one path every command's output takes.
"""
