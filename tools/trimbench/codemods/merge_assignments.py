from libcst.codemod import VisitorBasedCodemodCommand


class MergeAssignments(VisitorBasedCodemodCommand):
    pass
