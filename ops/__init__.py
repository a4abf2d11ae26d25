"""The operations layer: the jobs the command line (``cli/``) and the desk (``ui/``) share.

Above ``storage`` (it opens and writes projects through the store) and below both front
ends; each job takes an open project (``annotator.project.ProjectStore``) and a
``Progress`` it reports to and that may cancel it. No Qt, no argparse here.
"""
