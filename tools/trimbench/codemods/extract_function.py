from libcst.codemod import VisitorBasedCodemodCommand


class ExtractFunction(VisitorBasedCodemodCommand):
    pass
