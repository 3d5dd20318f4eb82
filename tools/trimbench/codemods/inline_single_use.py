from libcst.codemod import VisitorBasedCodemodCommand


class InlineSingleUse(VisitorBasedCodemodCommand):
    pass
