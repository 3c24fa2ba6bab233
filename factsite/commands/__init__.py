"""The commands, each a thin caller of the engine (engine.py): build.py (`build` and
`check`, with in_place.py, an update of a site in place), serve.py with preview_http.py
(`serve`), scaffold.py (`new`), and cli.py, the command line that offers them, with report.py
saying what they found."""
