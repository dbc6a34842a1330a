"""What publishes the report, apart from what computes it.

* :mod:`~mineral_report.book.sphinx`: the Sphinx extension the book loads (offline Vega on
  chart pages only, stylesheet, templates, data dependencies);
* :mod:`~mineral_report.book.page_figures`: what the built pages add under every chart;
* :mod:`~mineral_report.book.launch`: Binder and Colab buttons;
* :mod:`~mineral_report.book.pdf`: the whole report as one PDF.
"""
