/// The whole stylesheet: system fonts, colours with at least 4.5:1 contrast on their
/// backgrounds, visible focus, and a layout that works from phone width to 1366×768 and up.
enum Stylesheet {
    static let text = #"""
        :root {
          --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --paper: #ffffff; --page: #f4f6f8;
          --accent: #0b5cad; --ok: #1a7f37; --ok-soft: #dafbe1; --bad: #b42318; --bad-soft: #ffebe9;
          --warn: #8a5a00; --warn-soft: #fff4d6; --none: #8c959f; --none-soft: #eef1f4;
        }
        * { box-sizing: border-box; }
        html { font-size: 15px; }
        body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
          color: var(--ink); background: var(--page); line-height: 1.45; }
        a { color: var(--accent); }
        :focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }
        .skip { position: absolute; left: -999px; top: 0; background: var(--ink); color: #fff; padding: .5rem 1rem; z-index: 10; }
        .skip:focus { left: .5rem; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        .js-only { display: none; }
        header.top { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem; padding: .6rem 1.25rem;
          background: #12263f; color: #fff; }
        header.top a { color: #fff; text-decoration: none; }
        .brand a { font-weight: 700; font-size: 1.1rem; }
        header nav ul { display: flex; flex-wrap: wrap; gap: .25rem; list-style: none; margin: 0; padding: 0; }
        header nav a { display: block; padding: .35rem .7rem; border-radius: 4px; }
        header nav a:hover, header nav a[aria-current="page"] { background: #2b4a6f; }
        header nav a[aria-current="page"] { font-weight: 700; }
        .signout { margin-left: auto; display: flex; align-items: center; gap: .5rem; }
        .who { color: #d8e2ee; font-size: .9rem; }
        button.link { background: none; border: 1px solid #8fa6c1; color: #fff; padding: .25rem .6rem; }
        form.selection { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; padding: .5rem 1.25rem;
          background: var(--paper); border-bottom: 1px solid var(--line); }
        form.selection fieldset { border: 0; margin: 0; padding: 0; display: flex; gap: .75rem; align-items: center; }
        form.selection legend { float: left; margin-right: .5rem; color: var(--muted); }
        main { padding: 1rem 1.25rem 2rem; max-width: 1400px; margin: 0 auto; }
        main:focus { outline: none; }
        h1 { font-size: 1.5rem; margin: .25rem 0 1rem; }
        h2 { font-size: 1.1rem; margin: 0 0 .75rem; }
        h3 { font-size: 1rem; margin: 1rem 0 .5rem; }
        .card { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 1rem; margin-bottom: 1rem; }
        .columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 1rem; }
        .columns > .card { margin-bottom: 0; }
        .columns { margin-bottom: 1rem; }
        .figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: .75rem; margin-bottom: 1rem; }
        .figure { display: flex; flex-direction: column; background: var(--paper); border: 1px solid var(--line);
          border-left: 6px solid var(--accent); border-radius: 8px; padding: .75rem 1rem; color: var(--ink); text-decoration: none; }
        .figure.ok { border-left-color: var(--ok); } .figure.bad { border-left-color: var(--bad); } .figure.warn { border-left-color: var(--warn); }
        .figure .label { color: var(--muted); font-size: .9rem; }
        .figure .value { font-size: 1.8rem; font-weight: 700; }
        a.figure:hover { background: #f6f8fa; }
        table { border-collapse: collapse; width: 100%; background: var(--paper); }
        th, td { text-align: left; padding: .4rem .55rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { font-weight: 600; background: #f6f8fa; white-space: nowrap; }
        th a { color: var(--ink); text-decoration: none; }
        th a:hover { text-decoration: underline; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        td.details { max-width: 28rem; color: var(--muted); font-size: .9rem; }
        table.records td, table.compact td { white-space: nowrap; }
        table.records td.details, table.compact td.details, td.file-cell, td.file { white-space: normal; }
        td.file-cell { min-width: 12rem; }
        .file { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .85rem; word-break: break-all; }
        .table-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; }
        .table-wrap.tall { max-height: 28rem; overflow-y: auto; }
        table.compact td, table.compact th { padding: .3rem .5rem; }
        tr.failed td:first-child { box-shadow: inset 4px 0 var(--bad); }
        tr.success td:first-child { box-shadow: inset 4px 0 var(--ok); }
        .badge { display: inline-block; padding: .05rem .45rem; border-radius: 999px; font-size: .82rem; font-weight: 600; white-space: nowrap; }
        .badge.success { background: var(--ok-soft); color: #0f5323; }
        .badge.failed { background: var(--bad-soft); color: #8c1a10; }
        .badge.unscanned, .badge.muted { background: var(--none-soft); color: #424a53; }
        label { display: inline-flex; flex-direction: column; gap: .15rem; font-size: .9rem; color: var(--muted); }
        label.mode, label.check { flex-direction: row; align-items: center; gap: .35rem; color: var(--ink); }
        input, select, textarea, button, .button { font: inherit; color: var(--ink); }
        input, select, textarea { padding: .35rem .5rem; border: 1px solid #8c959f; border-radius: 4px; background: #fff; }
        textarea { width: 100%; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .85rem; }
        button, .button { display: inline-block; padding: .4rem .9rem; border: 1px solid #8c959f; border-radius: 4px;
          background: #f6f8fa; cursor: pointer; text-decoration: none; }
        button:hover, .button:hover { background: #eaeef2; }
        button.primary, .button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
        button.primary:hover, .button.primary:hover { background: #094a8b; }
        button.danger { color: var(--bad); }
        button.small { padding: .15rem .5rem; font-size: .85rem; }
        button:disabled { opacity: .55; cursor: not-allowed; }
        form.inline { display: inline; }
        .filters { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: flex-end; }
        .grid-form { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: .6rem 1rem; align-items: end; }
        .grid-form .actions { grid-column: 1 / -1; margin: 0; }
        .actions { margin: .5rem 0; }
        .count { color: var(--muted); margin: .25rem 0 .5rem; }
        .message { padding: .6rem .9rem; border-radius: 6px; margin: 0 0 1rem; }
        .message.notice { background: #ddf4ff; border: 1px solid #54aeff; }
        .message.error { background: var(--bad-soft); border: 1px solid #ff8182; color: #6e1109; }
        .message ul { margin: .25rem 0 0; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: 0 0 .75rem; }
        dl.facts dt { color: var(--muted); }
        dl.facts dd { margin: 0; word-break: break-word; }
        .progress { margin-top: .75rem; }
        .progress .bar { height: 1.1rem; background: var(--none-soft); border: 1px solid var(--line); border-radius: 999px; overflow: hidden; }
        .progress .fill { height: 100%; width: 0; background: var(--accent); transition: width .2s; }
        .progress.finished .fill { background: var(--ok); }
        .progress-text { margin: .35rem 0; font-variant-numeric: tabular-nums; }
        .scan-failures { max-height: 10rem; overflow-y: auto; margin: 0; padding-left: 1.2rem; color: #8c1a10; font-size: .9rem; }
        svg.chart { width: 100%; height: auto; display: block; font-size: 11px; }
        svg.chart text { fill: var(--muted); }
        svg.chart line { stroke: var(--line); }
        svg.chart rect.slot { fill: transparent; }
        svg.chart .bar:hover rect.slot { fill: #eaeef2; }
        svg.chart rect.ok { fill: var(--ok); } svg.chart rect.bad { fill: var(--bad); } svg.chart rect.none { fill: #d8dee4; }
        svg.heatmap { max-width: 1200px; }
        svg.sizes polyline { fill: none; stroke-width: 2; }
        svg.sizes .ddrive { stroke: var(--accent); fill: var(--accent); }
        svg.sizes .ibstorage { stroke: #8250df; fill: #8250df; }
        svg.sizes polyline.ddrive, svg.sizes polyline.ibstorage { fill: none; }
        svg.sizes text.key.ddrive { fill: var(--accent); stroke: none; } svg.sizes text.key.ibstorage { fill: #8250df; stroke: none; }
        .legend { color: var(--muted); font-size: .9rem; }
        .legend .key { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px; vertical-align: middle; margin-left: .5rem; }
        .key.ok { background: var(--ok); } .key.bad { background: var(--bad); } .key.none { background: #d8dee4; }
        ul.codes { display: flex; flex-wrap: wrap; gap: .25rem .75rem; list-style: none; padding: 0; margin: 0; }
        ul.cards { list-style: none; padding: 0; margin: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: .6rem; }
        li.server { background: var(--paper); border: 1px solid var(--line); border-top: 5px solid var(--none); border-radius: 6px; padding: .5rem .65rem; }
        li.server.success { border-top-color: var(--ok); }
        li.server.failed { border-top-color: var(--bad); background: #fffafa; }
        li.server a { display: block; text-decoration: none; color: var(--ink); }
        li.server .meta { display: block; color: var(--muted); font-size: .82rem; }
        li.server dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem .5rem; margin: .35rem 0 0; font-size: .82rem; }
        li.server dd { margin: 0; }
        .pager { display: flex; gap: 1rem; align-items: center; margin-top: .75rem; }
        .toc { display: flex; flex-wrap: wrap; gap: 1rem; margin-bottom: 1rem; }
        main.login { max-width: 24rem; margin: 8vh auto; }
        main.login form { display: flex; flex-direction: column; gap: .5rem; }
        main.login label { color: var(--ink); }
        main.login button { margin-top: .5rem; }
        code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .88em; word-break: break-all; }
        @media (max-width: 700px) {
          html { font-size: 14px; }
          header.top { padding: .5rem .75rem; }
          .signout { margin-left: 0; }
          main { padding: .75rem; }
          .figure .value { font-size: 1.4rem; }
          td.details { max-width: 14rem; }
          form.selection { padding: .5rem .75rem; }
        }

        """#
}
